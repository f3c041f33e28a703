"""The resident survey service, in floors: engine < store < services < web < journey < respond, staff, cli.

Importing this package loads nothing; the Flask application factory is `survey.app.create_app`.
"""
