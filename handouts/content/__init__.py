"""Load: YAML files in data/ become validated, typed content. The only package that reads YAML."""
