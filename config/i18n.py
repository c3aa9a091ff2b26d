"""Third-party messages we show whose Vietnamese the package lacks or gets wrong: listed here,
`makemessages` keeps them in our catalog, which wins (LOCALE_PATHS comes first). Nothing
calls this. See config/locale/README.md, "Hand-kept overrides of third-party messages"."""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django REST framework's messages our API returns (translator comments kept by hand).
DRF_MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("Invalid token."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Invalid token header. No credentials provided."),
    gettext_noop("Invalid token header. Token string should not contain spaces."),
    gettext_noop("Invalid token header. Token string should not contain invalid characters."),
    gettext_noop("Invalid page."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("A valid integer is required."),
    gettext_noop("This field may not be null."),
    gettext_noop("This list may not be empty."),
    gettext_noop("Not a valid string."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("This value does not match the required pattern."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("String value too large."),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("A server error occurred."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Could not satisfy the request Accept header."),
)

# The admin: Django's messages its vi catalog lacks or mistranslates, django-celery-beat's
# (no vi catalog) and DRF's token admin; each translator comment names the package.
ADMIN_MESSAGES = (
    # Translators: Third-party override (Django)
    gettext_noop("Skip to main content"),
    # Translators: Third-party override (Django)
    gettext_noop("Breadcrumbs"),
    # Translators: Third-party override (Django)
    gettext_noop("Sidebar"),
    # Translators: Third-party override (Django)
    gettext_noop("Toggle navigation"),
    # Translators: Third-party override (Django)
    gettext_noop("Filter navigation items"),
    # Translators: Third-party override (Django)
    gettext_noop("Toggle theme (current theme: auto)"),
    # Translators: Third-party override (Django)
    gettext_noop("Toggle theme (current theme: light)"),
    # Translators: Third-party override (Django)
    gettext_noop("Toggle theme (current theme: dark)"),
    # Translators: Third-party override (Django)
    gettext_noop("Models in the %(name)s application"),
    # Translators: Third-party override (Django)
    gettext_noop("Model name"),
    # Translators: Third-party override (Django)
    gettext_noop("Add link"),
    # Translators: Third-party override (Django)
    gettext_noop("Change or view list link"),
    # Translators: Third-party override (Django)
    gettext_noop("Added:"),
    # Translators: Third-party override (Django)
    gettext_noop("Changed:"),
    # Translators: Third-party override (Django)
    gettext_noop("Deleted:"),
    # Translators: Third-party override (Django)
    gettext_noop("Add"),
    # Translators: Third-party override (Django)
    gettext_noop("Add %(name)s"),
    # Translators: Third-party override (Django)
    gettext_noop("Action:"),
    # Translators: Third-party override (Django)
    gettext_noop("Go"),
    # Translators: Third-party override (Django)
    gettext_noop("permission"),
    # Translators: Third-party override (Django)
    gettext_noop("permissions"),
    # Translators: Third-party override (Django)
    gettext_noop("log entry"),
    # Translators: Third-party override (Django)
    gettext_noop("log entries"),
    # Translators: Third-party override (Django)
    gettext_noop("Show counts"),
    # Translators: Third-party override (Django)
    gettext_noop("Hide counts"),
    # Translators: Third-party override (Django)
    gettext_noop("Select all objects on this page for an action"),
    # Translators: Third-party override (Django)
    gettext_noop("View selected %(model)s"),
    # Translators: Third-party override (Django)
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    # Translators: Third-party override (Django)
    gettext_noop("Password-based authentication"),
    gettext_noop(
        # Translators: Third-party override (Django)
        "Whether the user will be able to authenticate using a password or not. "
        "If disabled, they may still be able to authenticate using other backends, "
        "such as Single Sign-On or LDAP."
    ),
    # Translators: Third-party override (Django, django-celery-beat)
    gettext_noop("Enabled"),
    # Translators: Third-party override (Django)
    gettext_noop("Disabled"),
    # Translators: Third-party override (Django)
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    # Translators: Third-party override (Django)
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop(
        # Translators: Third-party override (Django)
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    # Translators: Third-party override (Django)
    gettext_noop("Enable password-based authentication"),
    # Translators: Third-party override (Django)
    gettext_noop("Disable password-based authentication"),
    # Translators: Third-party override (Django)
    gettext_noop("Password-based authentication was disabled."),
    # Translators: Third-party override (Django)
    gettext_noop("Set password"),
    # Translators: Third-party override (Django)
    gettext_noop("Set password: %s"),
    # Translators: Third-party override (Django)
    gettext_noop("Reset password"),
    # Translators: Third-party override (Django)
    gettext_noop("Conflicting form data submitted. Please try again."),
    # Translators: Third-party override (Django)
    gettext_noop("Enter a valid JSON."),
    # Translators: Third-party override (Django REST framework)
    gettext_noop("Auth Token"),
    # Translators: Third-party override (Django REST framework)
    gettext_noop("Token"),
    # Translators: Third-party override (Django REST framework)
    gettext_noop("Tokens"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Periodic Tasks"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("periodic task"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("periodic tasks"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("periodic task track"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("periodic task tracks"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Name"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Short Description For This Task"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Task (registered)"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Task (custom)"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        'The Name of the Celery Task that Should be Run.  (Example: "proj.tasks.import_contacts")'
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Need name of task"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Only one can be set, in expires and expire_seconds"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Unable to parse JSON: %s"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Set to False to disable the schedule"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Description"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Detailed description about the details of this Periodic Task"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Schedule"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Arguments"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Execution Options"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Interval Schedule"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        "Interval Schedule to run the task on.  Set only one schedule type, leave the others null."
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Crontab Schedule"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        "Crontab Schedule to run the task on.  Set only one schedule type, leave the others null."
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Solar Schedule"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        "Solar Schedule to run the task on.  Set only one schedule type, leave the others null."
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Clocked Schedule"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        "Clocked Schedule to run the task on.  Set only one schedule type, leave the others null."
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Start Datetime"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Datetime when the schedule should begin triggering the task to run"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Last Run Datetime"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        "Datetime that the schedule last triggered the task to run. "
        "Reset to None if enabled is set to False."
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("One-off Task"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("If True, the schedule will only run the task a single time"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Positional Arguments"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop('JSON encoded positional arguments (Example: ["arg1", "arg2"])'),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Keyword Arguments"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop('JSON encoded keyword arguments (Example: {"argument": "value"})'),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Expires Datetime"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Datetime after which the schedule will no longer trigger the task to run"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Expires timedelta with seconds"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        "Timedelta with seconds which the schedule will no longer trigger the task to run"
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Queue Override"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Queue defined in CELERY_TASK_QUEUES. Leave None for default queuing."),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Exchange"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Override Exchange for low-level AMQP routing"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Routing Key"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Override Routing Key for low-level AMQP routing"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("AMQP Message Headers"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("JSON encoded message headers for the AMQP message."),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Priority"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        "Priority Number between 0 and 255. "
        "Supported by: RabbitMQ, Redis (priority reversed, 0 is highest)."
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Total Run Count"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Running count of how many times the schedule has triggered the task"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Last Modified"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Datetime that this PeriodicTask was last modified"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Enable selected tasks"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Disable selected tasks"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Toggle activity of selected tasks"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("interval"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("intervals"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Number of Periods"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Number of interval periods to wait before running the task again"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Interval Period"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("The type of period between task runs (Example: days)"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("every {}"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("every {} {}"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Days"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Hours"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Minutes"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Seconds"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Microseconds"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Day"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Hour"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Minute"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Second"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Microsecond"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("crontab"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("crontabs"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Minute(s)"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop('Cron Minutes to Run. Use "*" for "all". (Example: "0,30")'),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Hour(s)"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop('Cron Hours to Run. Use "*" for "all". (Example: "8,20")'),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Day(s) Of The Month"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop('Cron Days Of The Month to Run. Use "*" for "all". (Example: "1,15")'),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Month(s) Of The Year"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop('Cron Months (1-12) Of The Year to Run. Use "*" for "all". (Example: "1,12")'),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Day(s) Of The Week"),
    gettext_noop(
        # Translators: Third-party override (django-celery-beat)
        "Cron Days Of The Week to Run. "
        'Use "*" for "all", Sunday is 0 or 7, Monday is 1. (Example: "0,5")'
    ),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Cron Timezone"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Timezone to Run the Cron Schedule on. Default is UTC."),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("solar event"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("solar events"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Solar Event"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("The type of solar event when the job should run"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Latitude"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Run the task when the event happens at this latitude"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Longitude"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Run the task when the event happens at this longitude"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Astronomical dawn"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Civil dawn"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Nautical dawn"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Astronomical dusk"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Civil dusk"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Nautical dusk"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Solar noon"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Sunrise"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Sunset"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("clocked"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Clock Time"),
    # Translators: Third-party override (django-celery-beat)
    gettext_noop("Run the task at clocked time"),
)

ADMIN_PLURALS = (
    # Translators: Third-party override (Django)
    ngettext_lazy("entry", "entries", 1),
    ngettext_lazy(
        # Translators: Third-party override (Django)
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
    # Translators: Third-party override (django-celery-beat)
    ngettext_lazy("{0} task was successfully enabled", "{0} tasks were successfully enabled", 1),
    # Translators: Third-party override (django-celery-beat)
    ngettext_lazy("{0} task was successfully disabled", "{0} tasks were successfully disabled", 1),
    # Translators: Third-party override (django-celery-beat)
    ngettext_lazy("{0} task was successfully toggled", "{0} tasks were successfully toggled", 1),
)
