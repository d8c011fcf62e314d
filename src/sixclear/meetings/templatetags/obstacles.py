from django import template

from sixclear.meetings.selectors import AGE_BANDS, obstacle_figures, task_obstacles

register = template.Library()


@register.inclusion_tag("meetings/_figures.html")
def obstacle_figures_of(unit):
    """Open obstacles of a unit's subtree by level and age, and the median days to resolve,
    for any page that shows a unit (the register, the dashboard)."""
    return {"figures": obstacle_figures(unit), "age_bands": AGE_BANDS, "unit": unit}


@register.inclusion_tag("meetings/_task_obstacles.html")
def obstacles_of_task(task):
    """The obstacle records of a task, with who must act and what was answered, for the task
    page (one query)."""
    return {"obstacles": task_obstacles(task), "task": task}
