"""The URLs of the pages composed here, under the namespaces they had in their apps
(`tracking:task`, `plans:target`, `changes:decide`, `orgs:unit`), which templates and tests
use."""

from django.urls import include, path

from . import (
    approvals,
    changes,
    documents,
    evidence,
    my_work,
    programs,
    resolutions,
    target_forms,
    targets,
    tasks,
    units,
)

tracking_pages = [
    path("my-work/", my_work.my_work, name="my_work"),
    path("units/<int:unit_pk>/tasks/new/", tasks.task_create, name="task_create"),
    path("units/<int:unit_pk>/tasks/owners/", tasks.task_owner_choices,
         name="task_owner_choices"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/issue/", tasks.task_issue, name="task_issue"),
    path("tasks/<int:pk>/cancel/", tasks.task_cancel, name="task_cancel"),
    path("tasks/<int:pk>/reports/", tasks.report_progress, name="report_progress"),
    path("tasks/<int:pk>/steps/", tasks.step_add, name="step_add"),
    path("steps/<int:pk>/done/", tasks.step_done, name="step_done"),
    path("evidence/<int:pk>/", evidence.evidence_file, name="evidence"),
    path("measurements/<int:pk>/evidence/", evidence.measurement_evidence_file,
         name="measurement_evidence"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("approvals/reports/<int:pk>/", approvals.review_report, name="review_report"),
    path("approvals/measurements/<int:pk>/", approvals.review_measurement,
         name="review_measurement"),
]

orgs_pages = [
    path("units/<int:pk>/", units.unit_detail, name="unit"),
]

plans_pages = [
    path("resolutions/<int:pk>/", resolutions.resolution_detail, name="resolution"),
    path("units/<int:unit_pk>/from-document/", documents.from_document, name="from_document"),
    path("units/<int:unit_pk>/resolutions/new/", resolutions.resolution_create,
         name="resolution_create"),
    path("resolutions/<int:pk>/edit/", resolutions.resolution_edit, name="resolution_edit"),
    path("resolutions/<int:pk>/items/", resolutions.resolution_items_page,
         name="resolution_items"),
    path("resolutions/<int:pk>/items/add/", resolutions.item_add, name="item_add"),
    path("resolution-items/<int:pk>/edit/", resolutions.item_edit, name="item_edit"),
    path("resolution-items/<int:pk>/move/", resolutions.item_move, name="item_move"),
    path("resolution-items/<int:pk>/delete/", resolutions.item_delete, name="item_delete"),
    path("units/<int:unit_pk>/programs/new/", programs.program_create, name="program_create"),
    path("programs/<int:pk>/", programs.program_detail, name="program"),
    path("programs/<int:pk>/edit/", programs.program_edit, name="program_edit"),
    path("programs/<int:pk>/sections/", programs.program_sections, name="program_sections"),
    path("programs/<int:pk>/sections/add/", programs.section_add, name="section_add"),
    path("programs/<int:pk>/arrange/", programs.program_arrange, name="program_arrange"),
    path("program-sections/<int:pk>/edit/", programs.section_edit, name="section_edit"),
    path("program-sections/<int:pk>/move/", programs.section_move, name="section_move"),
    path("program-sections/<int:pk>/delete/", programs.section_delete, name="section_delete"),
    path("targets/<int:pk>/", targets.target_detail, name="target"),
    path("targets/<int:pk>/measurements/", targets.record_measurement,
         name="record_measurement"),
    path("units/<int:unit_pk>/targets/new/", target_forms.target_create, name="target_create"),
    path("units/<int:unit_pk>/targets/preview/", target_forms.target_preview,
         name="target_preview"),
    path("targets/<int:pk>/edit/", target_forms.target_edit, name="target_edit"),
    path("targets/<int:pk>/path/", target_forms.target_path, name="target_path"),
    path("targets/<int:pk>/path/computed/", target_forms.target_path_computed,
         name="target_path_computed"),
]

changes_pages = [
    path("tasks/<int:pk>/changes/", changes.request_task_change, name="request_task_change"),
    path("targets/<int:pk>/changes/", changes.request_target_change,
         name="request_target_change"),
    path("changes/<int:pk>/decision/", changes.decide_change, name="decide"),
]

urlpatterns = [
    path("", include((tracking_pages, "tracking"))),
    path("", include((orgs_pages, "orgs"))),
    path("", include((plans_pages, "plans"))),
    path("", include((changes_pages, "changes"))),
]
