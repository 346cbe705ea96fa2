"""The queries of a repeat view of each home page, named: the home pages are
counted by several apps' tests (their panels must not grow with the rows)."""

from __future__ import annotations

from operations.core.models import Role

# Every page of a signed-in person starts with 1 the session, 2 the user and
# 3 the membership (with its organisation); most end with the notification
# bell's unread count.
#
# Coordinator and manager (19): 1 session, 2 user, 3 membership, 4 services
# and 5 council areas (the organisation's summary), 6 volunteer settings,
# 7 courses, 8 the compliance report's people with their last supervision and
# PVG, 9 their training, 10 open Disclosure tasks, 11 open safety alerts
# (with their total), 12 the referral panels, 13 the child panels (births to confirm),
# 14 open concerns, 15 overdue match reviews, 16 this week's group sessions,
# 17 group settings and 18 the groups behind the crèches that may need
# registration, 19 the bell.
#
# PSO and volunteer (12): 1 session, 2 user, 3 membership, 4 services,
# 5 council areas, 6 volunteer settings, 7 their own profiles, 8 the courses
# with their training, 9 open supervision actions, 10 their open matches with
# the next visit, 11 their group sessions, 12 the bell.
HOME_QUERIES = {Role.COORDINATOR: 19, Role.MANAGER: 19, Role.PSO: 12, Role.VOLUNTEER: 12}
