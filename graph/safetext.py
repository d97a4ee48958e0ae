"""Text from documents and file names, made safe for the consumer of each output.

Quotes, names and paths come from untrusted files: a terminal would run their escape
sequences, Markdown would end a code span at their backtick, an XML parser refuses their
control characters. Each output passes such text through the function for its consumer.
"""
from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (\x9b opens a CSI sequence on its own),
# and the bidi overrides that make a terminal show text in another order than it is.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What XML 1.0 cannot hold at all, not even escaped.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text) -> str:
    """`text` for a terminal: control characters shown as '?' instead of run."""
    return _TERMINAL_UNSAFE.sub("?", str(text))


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can hold it (GraphML, GEXF): characters it forbids replaced."""
    return _XML_UNSAFE.sub("\ufffd", text)


def md_code(text: str) -> str:
    """`text` as a Markdown code span: fenced by more backticks than any run inside it
    (CommonMark), on one line, with no control characters."""
    text = " ".join(printable(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"
