"""The officers' web front: inbox, application pages, decisions, notices, operator dashboard.

Server-rendered (FastAPI + Jinja2, autoescaping); `create_app` in `ipaward.web.app`.
"""
