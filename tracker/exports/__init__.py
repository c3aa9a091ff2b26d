"""The reports as files: one `Table` per report (`tables.py`), written as CSV, XLSX, DOCX or
PDF by the writers beside it, with the office's heading block (`heading.py`) and its way of
showing rates (`tracker.selectors.rates.RateDisplay`). The API's renderers and the
dashboard's links serve them."""
