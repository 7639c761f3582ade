"""handouts: a spa's YAML content in, branded print-ready PDF handouts and flyers out."""

__version__ = "0.1.0"
