"""The directives pages: the list, a directive, issuing one (with its row and deadline
fragments), and the office's import page with its sample files."""

from django.urls import path

from directives.web import importing, issue, pages

urlpatterns = [
    path("directives/", pages.directive_list_page, name="directives"),
    path("directives/new/", issue.directive_new, name="directive-new"),
    path("directives/new/task-row/", issue.task_row, name="directive-task-row"),
    path(
        "directives/new/deadline-preview/",
        issue.deadline_preview_fragment,
        name="deadline-preview",
    ),
    path("directives/<int:pk>/", pages.directive_page, name="directive"),
    path("import/", importing.import_page, name="import"),
    path("import/samples/<str:name>", importing.import_sample, name="import-sample"),
]
