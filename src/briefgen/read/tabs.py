"""Tabs where YAML 1.2 allows them, which PyYAML (a YAML 1.1 reader) refuses.

A tab after the content of a line (``title:⇥T``, a trailing ``T⇥``), a tab
on a blank or comment-only line, a tab inside plain text and a tab inside
brackets are all separation whitespace in YAML 1.2; only a tab that indents
a line is an error.  These two scanner methods are PyYAML 6's with tabs
accepted in those places; the rest of the scanner is untouched.
"""

from __future__ import annotations

import re

_BREAKS = "\r\n\x85\u2028\u2029"
_END = "\0" + _BREAKS
_INDICATORS = set("-?: \t")
_STARTS_BLOCK = re.compile(r"[-?:](?:[ \t\r\n]|$)|[^\s#'\"\[{][^#\n]*?:(?:[ \t\r\n]|$)")


class TabsAsSeparators:
    """Mixin for a PyYAML loader (placed before ``yaml.SafeLoader``)."""

    def _tab_separates(self) -> bool:
        """Whether the tab at the pointer separates rather than indents."""
        buffer, here = self.buffer, self.pointer
        line_start = max(buffer.rfind(b, 0, here) for b in _BREAKS) + 1
        before = buffer[line_start:here]
        rest = buffer[here : here + 200].lstrip(" \t")
        if not rest or rest[0] in _END or rest[0] == "#":
            return True  # a blank or comment-only line
        if self.flow_level:
            return bool(before) or self.indent < 0
        content = before.strip(" \t")
        if content and not set(content) <= _INDICATORS:
            return True  # after content on this line
        if content or " " in before:
            # after '- ', '? ', ': ' or spaces: a separator unless it would
            # indent a nested block (YAML forbids tabs there)
            return not _STARTS_BLOCK.match(rest)
        return self.indent < 0 and rest[0] in "[{"  # a top-level flow collection

    def scan_to_next_token(self) -> None:
        if self.index == 0 and self.peek() == "\uFEFF":
            self.forward()
        found = False
        while not found:
            while self.peek() == " " or (self.peek() == "\t" and self._tab_separates()):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in _END:
                    self.forward()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                found = True

    def scan_plain_spaces(self, indent, start_mark):  # noqa: ARG002 - PyYAML's signature
        chunks = []
        length = 0
        while self.peek(length) in " \t":
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        ch = self.peek()
        if ch in _BREAKS:
            line_break = self.scan_line_break()
            self.allow_simple_key = True
            if self._document_marker():
                return None
            breaks = []
            while self.peek() in " \t" + _BREAKS:
                if self.peek() in " \t":
                    self.forward()
                else:
                    breaks.append(self.scan_line_break())
                    if self._document_marker():
                        return None
            if line_break != "\n":
                chunks.append(line_break)
            elif not breaks:
                chunks.append(" ")
            chunks.extend(breaks)
        elif whitespaces:
            chunks.append(whitespaces)
        return chunks

    def _document_marker(self) -> bool:
        prefix = self.prefix(3)
        return prefix in ("---", "...") and self.peek(3) in "\0 \t" + _BREAKS
