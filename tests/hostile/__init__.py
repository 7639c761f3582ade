"""The hostile cases: what a stranger did to break the tool, one test each, by area.

- test_dates.py: dates and the appointments CSV (relative next visits, local date formats,
  damaged CSVs)
- test_mail.py: delivering each email once, and servers that misbehave
- test_ownership.py: never touching a file the tool did not make; client files private
- test_validate.py: `validate` says what `build` will say, at the right place
- test_tracebacks.py: no traceback, ever; messages in the editor's words
- test_print.py: pictures and print boxes
"""
