"""Citations: the works a brief cites, read from CSL-JSON or BibTeX and
formatted by a CSL style.

:mod:`.works` reads a bibliography file (every problem at its line),
:mod:`.styles` finds a style, :mod:`.engine` formats citations and the
references list with Pandoc's citeproc, the most complete CSL processor
there is, and :mod:`.syntax` reads ``[@key, p. 12]`` in rich text.
"""
