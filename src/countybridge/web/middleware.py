"""Chinese by default: only the language switch (a cookie) selects English.

Django's LocaleMiddleware would otherwise follow the browser's Accept-Language header, so an officer whose
browser happens to be set to English would get English pages nobody chose. This runs before it.
"""


class ChineseByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
