"""Surveillance (传染病监测预警): notifiable-disease reporting, outbreak detection and signal response.

For now only the pure detection library lives here (`surveillance.detection`, numpy only, no Django); the
Django app (catalogue, report cards, signals) is added on top of it later.
"""
