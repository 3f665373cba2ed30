{#- One TopicAssignment per migrated Case and tag (tag strategy `topics`); create-only in Salesforce. -#}
select
    ticket_id::varchar || ':' || tag_value as stames__assignment_key,
    ticket_id::varchar as "ref__EntityId",
    tag_value as "stames__topic_name"
from {{ ref('int_tag_topics') }}
