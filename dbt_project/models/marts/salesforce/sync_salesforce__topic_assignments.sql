{#- One TopicAssignment per migrated Case and tag (tag strategy `topics`); create-only in Salesforce. -#}
select
    ticket_id::string || ':' || tag_value as stames__assignment_key,
    ticket_id::string as ref__EntityId,
    tag_value as stames__topic_name
from {{ ref('int_tag_topics') }}
