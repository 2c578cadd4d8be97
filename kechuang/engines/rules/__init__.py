"""The rules engine: policies as code with dated parameters, evaluated over every entity at once.

Pure: numpy, PyYAML and the standard library, no Django. ``kechuang.policies`` fills ``Inputs``
from the database, evaluates a policy for a fiscal year and stores or shows the result.

Input schema (``Inputs``; one entity kind per simulation, ``n`` entities, consecutive ``years``)
------------------------------------------------------------------------------------------------
``ids``             (n,) the entities' ids (organization or zone primary keys).
``years``           consecutive fiscal years; a policy for year Y reads Y-2..Y: give at least those.
``yearly[name]``    (len(years), n) float; NaN = not reported (a younger enterprise, a gap).
``static[name]``    (n,) per-entity facts that do not change by year.
``qualifications``  kind → ``Qualification(granted_on, valid_until)``, datetime64[D] arrays (NaT =
                    not held); "valid on a day" means granted_on ≤ day ≤ valid_until.

Enterprise inputs (``entity="enterprise"``; money in yuan):

    yearly  employees, rd_staff, revenue, rd_expense, rd_expense_domestic, hightech_revenue,
            total_assets, net_assets, total_cost, class_i_ip, class_ii_ip
    static  founded_on (datetime64[D]), hightech_field (object array of str, "" = none),
            innovation_expert_score (float, optional: the experts' points for 知识产权、成果转化、
            研发组织管理, up to 80; NaN or absent = pending)
    qualifications  hnte, tech_sme, … (the kinds of ``orgs.QualificationKind``)

Zone inputs (``entity="zone"``): yearly ``enterprises``, ``hitech_enterprises`` (高企 or 科小,
counted once), ``platforms`` (provincial-or-higher).

Use
---
    from kechuang.engines.rules import Inputs, get_policy
    result = get_policy("hnte").evaluate(inputs, 2023)       # fiscal year 2023 as latest year
    result.eligible, result.pending, result.score, result.amount  # arrays over the entities
    result.conditions          # [Condition(key, label, value, threshold, passed, gap, …)]
    result.row(i)              # one entity as a plain dict; result.gaps(i) → ["研发费用占比 …"]
    policy.describe()          # key, label, source, conditions, parameters with their history
    policy.evaluate(inputs, 2023, parameters=policy.parameters.with_values({"rate": {...}}))

Parameters for year Y are the values in force on Y-01-01; qualifications and registration age are
judged on the day after Y ends (Y+1-01-01).
"""

from .engine import (
    COUNT,
    DAYS,
    FLAG,
    POINTS,
    RATIO,
    YUAN,
    Condition,
    Period,
    Policy,
    PolicyResult,
    Simulation,
    Variable,
    fmt,
    parse_period,
)
from .errors import CycleError, ParameterError, PeriodError, RulesError
from .inputs import ENTERPRISE, ZONE, Inputs, Qualification, date_array
from .parameters import Parameter, ParameterSet, load_parameters, parameters_from_mapping
from .policies import POLICIES, get_policy
from .policies.rd_post_subsidy import allocate

ENTERPRISE_YEARLY = (
    "employees",
    "rd_staff",
    "revenue",
    "rd_expense",
    "rd_expense_domestic",
    "hightech_revenue",
    "total_assets",
    "net_assets",
    "total_cost",
    "class_i_ip",
    "class_ii_ip",
)
ENTERPRISE_STATIC = {
    "founded_on": "date",
    "hightech_field": "str",
    "innovation_expert_score": "float",
}
ZONE_YEARLY = ("enterprises", "hitech_enterprises", "platforms")

__all__ = [
    "COUNT",
    "DAYS",
    "ENTERPRISE",
    "ENTERPRISE_STATIC",
    "ENTERPRISE_YEARLY",
    "FLAG",
    "POINTS",
    "POLICIES",
    "RATIO",
    "YUAN",
    "ZONE",
    "ZONE_YEARLY",
    "Condition",
    "CycleError",
    "Inputs",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "Period",
    "PeriodError",
    "Policy",
    "PolicyResult",
    "Qualification",
    "RulesError",
    "Simulation",
    "Variable",
    "allocate",
    "date_array",
    "fmt",
    "get_policy",
    "load_parameters",
    "parameters_from_mapping",
    "parse_period",
]
