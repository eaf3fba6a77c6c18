from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleStage(models.TextChoices):
    SITUATION_ANALYSIS = "situation_analysis", _("Situation analysis")
    PRIORITIES = "priorities", _("Priorities")
    ACTION_PLAN = "action_plan", _("Action plan")
    MONITORING = "monitoring", _("Monitoring and evaluation")
