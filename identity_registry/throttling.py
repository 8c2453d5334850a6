"""Per-account API throttling (issue 11): past ``API_THROTTLE_RATE`` the API answers 429 with Retry-After."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class AccountRateThrottle(UserRateThrottle):
    """DRF's per-user throttle, its rate read from settings at each request (configurable by environment)."""

    scope = "user"

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE
