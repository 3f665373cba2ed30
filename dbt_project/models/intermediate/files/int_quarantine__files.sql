{#- Attachments that cannot be loaded (failed, quarantined or purged files, orphans), by source object. -#}
select
    'attachment' as object,
    attachment_id::string as stames_id,
    quarantine_reason as reason,
    quarantine_detail as detail
from {{ ref('int_attachments_resolved') }}
where disposition = 'quarantined'
