{#- Messages that cannot be loaded, by their source object (`message`), in words a person can act on. -#}
select
    'message' as object,
    message_id::string as stames_id,
    quarantine_reason as reason,
    quarantine_detail as detail
from {{ ref('int_messages_routed') }}
where disposition = 'quarantined'
