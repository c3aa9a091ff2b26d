from django.urls import path

from directives.web.placeholder import placeholder

urlpatterns = [
    path("directives/", placeholder, name="directives"),
    path("directives/new/", placeholder, name="directive-new"),
    path("directives/<int:pk>/", placeholder, name="directive"),
    path("import/", placeholder, name="import"),
]
