"""Normalise HTML with the CommonMark spec's own normaliser (normalize.py, vendored beside this
file): reads a JSON list of HTML strings on stdin, writes the JSON list of normalised strings."""
import json
import sys

from normalize import normalize_html

print(json.dumps([normalize_html(h) for h in json.load(sys.stdin)]))
