"""Policy configuration: departments, editions, dated parameters."""

from ipaward.config.config_errors import ConfigError
from ipaward.config.departments import Department, Directory, Jurisdiction
from ipaward.config.edition import Edition, Measure, Party, Stage
from ipaward.config.parameters import Parameter, ParameterView
from ipaward.config.policy import Policy, load_policy

__all__ = [
    "ConfigError",
    "Department",
    "Directory",
    "Edition",
    "Jurisdiction",
    "Measure",
    "Parameter",
    "ParameterView",
    "Party",
    "Policy",
    "Stage",
    "load_policy",
]
