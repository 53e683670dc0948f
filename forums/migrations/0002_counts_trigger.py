"""Posts move the forums' counts in the same transaction, whatever path they take.

A reply is stored by the comments engine (comments.services), and a held post is
let through from the moderators' queue; the engine cannot call the forums
(comments never imports forums), so this trigger on comments_comment does what
Spirit's Topic.increase_comment_count() does: reply count, last activity and last
poster of the topic, post count and latest topic of its category. For a
discussion that no topic owns it is one index lookup that finds nothing.
"""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION forums_count_post() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hidden text[] := ARRAY['pending', 'rejected', 'spam'];
    delta integer;
    shown integer := 0;
    topic forums_topic%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        delta := (NEW.status = 'published')::integer;
    ELSE
        delta := (NEW.status = 'published')::integer
            - (OLD.status = 'published')::integer;
    END IF;
    SELECT * INTO topic FROM forums_topic WHERE discussion_id = NEW.discussion_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF topic.opening_post_id = NEW.id THEN
        -- The first post decides whether the topic is listed at all.
        shown := (NEW.status <> ALL(hidden))::integer
            - (OLD.status <> ALL(hidden))::integer;
        IF topic.is_removed OR (delta = 0 AND shown = 0) THEN
            RETURN NULL;
        END IF;
        IF shown <> 0 THEN
            UPDATE forums_topic SET is_listed = (shown > 0) WHERE id = topic.id;
        END IF;
        UPDATE forums_category SET
            topic_count = topic_count + shown,
            post_count = post_count + delta + shown * topic.reply_count,
            latest_topic_id = CASE WHEN shown > 0 AND (latest_topic_id IS NULL
                OR topic.last_active >= (SELECT last_active FROM forums_topic
                                         WHERE id = latest_topic_id))
                THEN topic.id ELSE latest_topic_id END
        WHERE id = topic.category_id;
        RETURN NULL;
    END IF;
    IF delta = 0 THEN
        RETURN NULL;
    END IF;
    UPDATE forums_topic SET
        reply_count = reply_count + delta,
        last_active = CASE WHEN delta > 0
            THEN GREATEST(last_active, NEW.created_at) ELSE last_active END,
        last_poster_id = CASE WHEN delta > 0 AND NEW.created_at >= last_active
            THEN NEW.author_id ELSE last_poster_id END
    WHERE id = topic.id;
    IF NOT topic.is_listed THEN
        RETURN NULL;
    END IF;
    UPDATE forums_category SET
        post_count = post_count + delta,
        latest_topic_id = CASE WHEN delta > 0 AND (latest_topic_id IS NULL
            OR NEW.created_at >= (SELECT last_active FROM forums_topic
                                  WHERE id = latest_topic_id))
            THEN topic.id ELSE latest_topic_id END
    WHERE id = topic.category_id;
    RETURN NULL;
END $$;
CREATE TRIGGER forums_count_post
    AFTER INSERT OR UPDATE OF status ON comments_comment
    FOR EACH ROW EXECUTE FUNCTION forums_count_post();
"""
REVERSE = """
DROP TRIGGER forums_count_post ON comments_comment;
DROP FUNCTION forums_count_post();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0001_initial"),
        ("comments", "0005_moderation_queues"),
    ]
    operations = [migrations.RunSQL(FUNCTION, REVERSE)]
