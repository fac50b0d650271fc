"""The load profile of SECURITY.md row 23: Locust against live gunicorn on two cores (`python -m bench.load`)."""
