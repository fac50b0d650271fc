"""Extension points of the version lifecycle for apps that attach data to a version (e.g. guidance).

`version_publishing(version)` is sent inside the publish transaction after the catalogue's own checks;
a receiver refuses publication by raising DomainError. `version_copied(source, target)` is sent when a
变更 draft is copied from `source`, so attached data follows the elements into the new draft.
"""

from django.dispatch import Signal

version_publishing = Signal()
version_copied = Signal()
