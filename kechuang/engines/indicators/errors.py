"""Errors of the indicator engine (the app turns them into its own application errors)."""


class IndicatorError(ValueError):
    """A definition, filter or request the engine cannot evaluate; the message is for users."""
