from django.urls import path

from tracker.web.tasks import actions, detail, lists

urlpatterns = [
    path("tasks/", lists.task_list, name="tasks"),
    path("tasks/<int:pk>/", detail.task_detail, name="task"),
    path("tasks/directive-options/", lists.directive_options, name="task-directive-options"),
    # A short link for SMS and e-mails: redirects to the task's page.
    path("t/<int:pk>/", detail.task_short_link, name="task-short"),
    path("tasks/<int:pk>/progress/", actions.progress, name="task-progress"),
    path("tasks/<int:pk>/completion/", actions.completion, name="task-completion"),
    path("tasks/<int:pk>/extension/", actions.extension, name="task-extension"),
    path("tasks/<int:pk>/accept/", actions.accept, name="task-accept"),
    path("tasks/<int:pk>/return/", actions.return_report, name="task-return"),
    path("tasks/<int:pk>/pause/", actions.pause, name="task-pause"),
    path("tasks/<int:pk>/resume/", actions.resume, name="task-resume"),
    path("tasks/<int:pk>/cancel/", actions.cancel, name="task-cancel"),
    path(
        "extension-requests/<int:pk>/approve/", actions.approve_extension, name="extension-approve"
    ),
    path("extension-requests/<int:pk>/reject/", actions.reject_extension, name="extension-reject"),
    path("files/<int:pk>/", detail.attachment_download, name="attachment"),
]
