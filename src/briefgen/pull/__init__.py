"""``briefgen pull``: an editor's changes in a generated Word file, back in the brief.

One module per job: :mod:`.archive` (the zip and its XML, read
defensively), :mod:`.runs` and :mod:`.word` (the paragraphs of the edited
file), :mod:`.spans` and :mod:`.markup` (rich text compared and written
back), :mod:`.record` (what the Word writer records about each paragraph),
:mod:`.plan`, :mod:`.removals` and :mod:`.additions` (matching Word to the
brief, three ways), :mod:`.splice` (editing the YAML text in place),
:mod:`.summary` (what is printed) and :mod:`.api` (the whole pull).
"""

from .api import PullResult, pull_docx
from .errors import PullError

__all__ = ["PullError", "PullResult", "pull_docx"]
