"""handouts: a spa's YAML content in, branded print-ready PDF handouts and flyers out."""

import os

from handouts.render.unused_patterns import defer

__version__ = "0.1.0"

defer()  # before anything here imports ReportLab (svglib imports its paragraphs too)

# No pydantic plugin installed beside us sees what we validate: client names and notes are
# health data. (Looking for plugins also read every installed package's metadata, 15-45 ms
# of every run.) Pydantic's own switch; children of this process inherit it, harmlessly.
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
