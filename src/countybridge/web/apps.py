from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "countybridge.web"
    label = "web"
