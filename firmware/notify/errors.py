"""The one error every notification channel raises: a sentence for a person, plus hints
the outbox acts on."""

from __future__ import annotations


class NotifyError(Exception):
    """A notice could not be delivered.

    `permanent` means trying again cannot help (a refused recipient, a wrong SIM PIN): the
    outbox gives up at once instead of retrying. `progress` counts the parts already
    delivered when a multi-part SMS failed half way, so a retry sends only the rest.
    """

    def __init__(self, message: str, *, permanent: bool = False, progress: int = 0) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.progress = progress
