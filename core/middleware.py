"""Session lifetime: an absolute limit since sign-in and an idle limit since the last request."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

STARTED_KEY = "session_started_at"
SEEN_KEY = "session_seen_at"
# Write the "last seen" stamp at most this often, so most requests do not save the session.
SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(STARTED_KEY)
            seen = request.session.get(SEEN_KEY)
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            if started is None:
                request.session[STARTED_KEY] = now
                request.session[SEEN_KEY] = now
            elif now - started > absolute or (seen is not None and now - seen > idle):
                logout(request)
                messages.info(request, _("Your session expired. Please sign in again."))
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect_to_login(request.get_full_path())
            elif seen is None or now - seen > SEEN_RESOLUTION_SECONDS:
                request.session[SEEN_KEY] = now
        return self.get_response(request)
