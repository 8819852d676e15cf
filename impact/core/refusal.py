"""A refusal: an operation will not do what was asked, and says why in the user's language.

Operations of every feature raise a subclass (a workflow step out of order, a change to a user an admin may not
make, a template change that would break a published version). Views never catch them one by one: they save
through ``ImpactForm.commit`` (the message next to its field, the input kept) or ``commit_or_flash`` (one-button
actions, the message as a notice), which roll back what the refused operation had begun.
"""


class Refusal(ValueError):
    """``message`` (translatable) says why; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
