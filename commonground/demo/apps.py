from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "commonground.demo"
    label = "demo"
    verbose_name = "Demo scenarios"
