from django.urls import path

from tracker.web.placeholder import placeholder

urlpatterns = [
    path("tasks/", placeholder, name="tasks"),
    path("tasks/<int:pk>/", placeholder, name="task"),
    # A short link for SMS and e-mails: redirects to the task's page.
    path("t/<int:pk>/", placeholder, name="task-short"),
    path("tasks/<int:pk>/progress/", placeholder, name="task-progress"),
    path("tasks/<int:pk>/completion/", placeholder, name="task-completion"),
    path("tasks/<int:pk>/extension/", placeholder, name="task-extension"),
    path("tasks/<int:pk>/accept/", placeholder, name="task-accept"),
    path("tasks/<int:pk>/return/", placeholder, name="task-return"),
    path("tasks/<int:pk>/pause/", placeholder, name="task-pause"),
    path("tasks/<int:pk>/resume/", placeholder, name="task-resume"),
    path("tasks/<int:pk>/cancel/", placeholder, name="task-cancel"),
    path("extension-requests/<int:pk>/approve/", placeholder, name="extension-approve"),
    path("extension-requests/<int:pk>/reject/", placeholder, name="extension-reject"),
    path("files/<int:pk>/", placeholder, name="attachment"),
]
