"""`briefgen watch`: a preview a writer leaves open while editing.

On every save the brief is rebuilt by a warm worker process (WeasyPrint
imported and warmed up once): the HTML first, and the browser reloads as
soon as it is written; then the PDF and the Word file.  The preview server
(loopback only) serves a page listing every brief with its files and its
last build's status, and each brief's page with a small script that
reloads it and shows a failed build's errors over the last good page.
Nothing else in the output folder is served.

Modules: ``changes`` (what changed on disk), ``board`` (each brief's
status and the events the pages listen to), ``worker`` (the warm build
process), ``server`` (HTTP), ``session`` (all of it together).
"""

from .session import Session

__all__ = ["Session"]
