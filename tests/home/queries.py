"""The queries of a repeat view of each home page, named: the home pages are
counted by several apps' tests (their panels must not grow with the rows)."""

from __future__ import annotations

from operations.core.models import Role

# Every page of a signed-in person starts with 1 the session, 2 the user and
# 3 the membership (with its organisation); most end with the notification
# bell's unread count.
#
# Coordinator and manager (20): 1 session, 2 user, 3 membership, 4 services
# and 5 council areas (the organisation's summary), 6 volunteer settings,
# 7 courses, 8 the people and 9 their training (the one fitness loader,
# volunteers.selectors.fitness_inputs), 10 the compliance report's people with
# their last supervision and PVG, 11 open Disclosure tasks, 12 open safety
# alerts (with their total), 13 the referral panels, 14 the child panels
# (births to confirm), 15 open concerns (with their family, volunteer and
# owner), 16 overdue match reviews, 17 this week's group sessions, 18 group
# settings and 19 the groups behind the crèches that may need registration,
# 20 the bell.
#
# PSO (16): 1 session, 2 user, 3 membership, 4 services, 5 council areas,
# 6 volunteer settings, 7 their own profiles, 8 the courses with their
# training, 9 the supervisees' training and 10 the supervisees (the fitness
# loader), 11 open supervision actions, 12 their open matches with the next
# visit, 13 their group sessions, 14 whether they are a safeguarding lead and
# 15 the open concerns they may see (issue 20: Concern.objects.visible_to
# asks 14 first, a lead sees every concern), 16 the bell. A volunteer (12)
# supervises nobody and works no concerns: no 9, 10, 14 and 15.
HOME_QUERIES = {Role.COORDINATOR: 20, Role.MANAGER: 20, Role.PSO: 16, Role.VOLUNTEER: 12}
