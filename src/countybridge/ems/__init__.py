"""Pre-hospital emergency (EMS) network: pure libraries (network/, siting/, simulation/) and the Django app."""
