"""Whether a comment has replies, and how many threads readers see, as stored data.

A page's plan asked the database once per comment whether it had replies (an
EXISTS subquery). Both facts now change in the same transaction as the write
that changes them, whatever path it takes (a post, a bulk insert, a moderator's
decision, an author's delete, an account's deletion), through one trigger on
comments_comment: storing a reply marks its parent; a top-level comment that
appears to readers or disappears moves its discussion's thread count. It costs
Django no query. The same counts from the data:
comments.bulk.recount_threads().
"""

from django.db import migrations, models

FILL = """
UPDATE comments_comment c SET has_replies = true
 WHERE EXISTS (SELECT 1 FROM comments_comment r WHERE r.parent_id = c.id);
UPDATE comments_discussion d SET thread_count = (
    SELECT count(*) FROM comments_comment c
     WHERE c.discussion_id = d.id AND c.depth = 0
       AND (c.status = 'published' OR c.has_replies));
"""

TRIGGER = """
CREATE FUNCTION comments_keep_thread_data() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
BEGIN
    IF TG_OP = 'INSERT' AND NEW.parent_id IS NOT NULL THEN
        -- Fires this trigger again for the parent (UPDATE OF has_replies).
        UPDATE comments_comment SET has_replies = true
         WHERE id = NEW.parent_id AND NOT has_replies;
    ELSIF TG_OP = 'DELETE' AND OLD.parent_id IS NOT NULL THEN
        UPDATE comments_comment SET has_replies = false
         WHERE id = OLD.parent_id AND has_replies
           AND NOT EXISTS (SELECT 1 FROM comments_comment
                            WHERE parent_id = OLD.parent_id);
    END IF;
    -- A thread is shown while its first comment is published or has replies.
    IF TG_OP <> 'DELETE' AND NEW.depth = 0 THEN
        delta := (NEW.status = 'published' OR NEW.has_replies)::integer;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.depth = 0 THEN
        delta := delta - (OLD.status = 'published' OR OLD.has_replies)::integer;
    END IF;
    IF delta <> 0 THEN
        UPDATE comments_discussion SET thread_count = thread_count + delta
         WHERE id = COALESCE(NEW.discussion_id, OLD.discussion_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_keep_thread_data
    AFTER INSERT OR DELETE OR UPDATE OF status, has_replies ON comments_comment
    FOR EACH ROW EXECUTE FUNCTION comments_keep_thread_data();
"""

REVERSE = """
DROP TRIGGER comments_keep_thread_data ON comments_comment;
DROP FUNCTION comments_keep_thread_data();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0011_draft_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="has_replies",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="discussion",
            name="thread_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="threads"
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGER, REVERSE),
    ]
