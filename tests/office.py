"""LibreOffice and poppler, headless, as an official's machine opens the reports: a file
converted by `soffice --convert-to` (each call with its own user profile, so that tests
running in parallel do not share one), a PDF read back page by page by `pdftotext`, a
page's size by `pdfinfo`. `.ci/office.sh` installs them; a missing tool fails the test."""

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_TIMEOUT_SECONDS = 120


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed: run bash .ci/office.sh"
    return path


def soffice_convert(source: Path, to: str, infilter: str | None = None) -> Path:
    """`source` converted to `to` (e.g. "pdf", "csv", "xlsx", "txt:Text (encoded):UTF8"),
    written beside it; `infilter` as LibreOffice's `--infilter` (a CSV's options)."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        command = [
            _tool("soffice"),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(source.parent),
        ]
        if infilter:
            command.append(f"--infilter={infilter}")
        command.append(str(source))
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_SECONDS, check=False
        )
    target = source.with_suffix("." + to.split(":")[0])
    assert done.returncode == 0 and target.exists(), (done.stdout, done.stderr)
    return target


def pdf_pages_text(pdf: Path) -> list[str]:
    """The text of each page (layout kept), in order."""
    done = subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    pages = done.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points (A4 landscape: about 842 × 595)."""
    info = subprocess.run(
        [_tool("pdfinfo"), "-f", "1", "-l", "9999", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            width, _x, height = line.split("size:")[1].split()[:3]
            sizes.append((float(width), float(height)))
    return sizes
