"""The directives pages: the list, a directive (with its files' downloads), issuing one,
adding tasks to one (with the task rows' fragments), and the office's import page with its
sample files."""

from django.urls import path

from directives.web import importing, issue, pages, task_rows, tasks_add

urlpatterns = [
    path("directives/", pages.directive_list_page, name="directives"),
    path("directives/new/", issue.directive_new, name="directive-new"),
    path("directives/new/task-row/", task_rows.task_row, name="directive-task-row"),
    path(
        "directives/new/deadline-preview/",
        task_rows.deadline_preview_fragment,
        name="deadline-preview",
    ),
    path("directives/<int:pk>/", pages.directive_page, name="directive"),
    path(
        "directives/<int:pk>/status-report/",
        pages.directive_status_report_page,
        name="directive-status-report",
    ),
    path(
        "directives/<int:pk>/files/<int:file_id>/",
        pages.directive_file_download,
        name="directive-file",
    ),
    path(
        "directives/<int:pk>/tasks/new/", tasks_add.directive_tasks_new, name="directive-tasks-new"
    ),
    path(
        "directives/<int:pk>/tasks/new/task-row/",
        task_rows.task_row,
        name="directive-tasks-task-row",
    ),
    path("import/", importing.import_page, name="import"),
    path("import/samples/<str:name>", importing.import_sample, name="import-sample"),
]
