"""The opener coach: honest opener recommendations and a lint for trap questions and
surveillance reveals. A plain library, like the rest of ``policies``."""

from policies.coach.lint import Finding, lint
from policies.coach.recommend import Opener, TemplateError, Templates, load_templates, recommend

__all__ = ["Finding", "Opener", "TemplateError", "Templates", "lint", "load_templates", "recommend"]
