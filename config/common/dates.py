import datetime as dt

# The range of dates an official document or deadline can plausibly carry; year 1 or 9999 is
# a typing slip, not a deadline.
EARLIEST_DATE = dt.date(1975, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
