#!/usr/bin/env bash
# What the report tests need to open the files as an official would: LibreOffice (Calc and
# Writer) from Debian's packages, headless, to convert the XLSX, DOCX and CSV; poppler's
# pdftotext to read the PDFs back; Liberation Serif 2, metric-compatible with Times New
# Roman, the font the reports ask for. Installs what is missing; fails (never skips) when
# it cannot.
set -euo pipefail

need_apt=()
command -v soffice >/dev/null && [ -x /usr/lib/libreoffice/program/scalc ] || need_apt+=(libreoffice-calc)
[ -x /usr/lib/libreoffice/program/swriter ] || need_apt+=(libreoffice-writer)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
# Liberation 2 (fonts-liberation2): the 1.x fonts lack the Vietnamese letters with two
# marks (ỉ, ệ), which LibreOffice then takes from another font, and the lines break elsewhere.
fc-list 2>/dev/null | grep -q "liberation2/LiberationSerif-Regular" || need_apt+=(fonts-liberation2)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing ${need_apt[*]} from Debian's packages..."
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
for tool in soffice pdftotext; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed." >&2; exit 1; }
done
echo "$(soffice --version 2>/dev/null | head -1) and pdftotext are ready."
