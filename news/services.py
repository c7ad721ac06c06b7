"""The publishing workflow: draft → waiting for review → published (→ unpublished).

Editors submit posts for review; only holders of ``news.publish_post`` (chief editors) publish,
schedule and unpublish. The admin's buttons and actions, and any future path, call these.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from news import cache as page_cache
from news.models import Post

PUBLISH_PERMISSION = "news.publish_post"


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def _locked(post):
    return Post.objects.select_for_update().get(pk=post.pk)


@transaction.atomic
def submit_for_review(*, post, by):
    """An editor hands a draft (or an unpublished post) to the chief editor."""
    locked = _locked(post)
    if locked.status not in {Post.Status.DRAFT, Post.Status.UNPUBLISHED}:
        raise ValidationError(_("Only a draft or an unpublished post can be sent for review."))
    locked.status = Post.Status.REVIEW
    locked._change_reason = _("Sent for review")
    locked.save(update_fields=["status", "updated_at"])
    post.refresh_from_db()
    return post


@transaction.atomic
def publish(*, post, by, at=None):
    """Publish now, or at ``at`` (a future time schedules the post). Chief editors only."""
    if not can_publish(by):
        raise PermissionDenied(_("Only the chief editor can publish posts."))
    locked = _locked(post)
    now = timezone.now()
    if locked.is_live and at is None:
        raise ValidationError(_("The post is already published."))
    # The time set on the post (by the chief editor) stands; otherwise now.
    locked.published_at = at or locked.published_at or now
    locked.status = Post.Status.PUBLISHED
    if locked.first_published_at is None:
        locked.first_published_at = locked.published_at
    locked._change_reason = _("Scheduled") if locked.published_at > now else _("Published")
    locked.save(update_fields=["status", "published_at", "first_published_at", "updated_at"])
    # The public pages show the change on the next request (the save signal bumps too).
    transaction.on_commit(page_cache.bump)
    post.refresh_from_db()
    return post


@transaction.atomic
def unpublish(*, post, by):
    """Take a published (or scheduled) post off the site. Chief editors only."""
    if not can_publish(by):
        raise PermissionDenied(_("Only the chief editor can unpublish posts."))
    locked = _locked(post)
    if locked.status != Post.Status.PUBLISHED:
        raise ValidationError(_("Only a published post can be unpublished."))
    locked.status = Post.Status.UNPUBLISHED
    locked._change_reason = _("Unpublished")
    locked.save(update_fields=["status", "updated_at"])
    transaction.on_commit(page_cache.bump)
    post.refresh_from_db()
    return post
