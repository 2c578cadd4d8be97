"""Errors of the rules engine (the app turns them into its own application errors)."""


class RulesError(ValueError):
    """A policy, parameter or request the engine cannot evaluate; the message is for users."""


class CycleError(RulesError):
    """A formula depends on itself, directly or through other variables; the cycle is named."""


class PeriodError(RulesError):
    """A variable asked for a period it is not defined for (a month, a year with no input)."""


class ParameterError(RulesError):
    """A parameter file or override that is malformed, or a date before its first value."""
