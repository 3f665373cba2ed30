{#- Attachments of excluded messages or tickets. -#}
select
    'attachment' as object,
    attachment_id::string as stames_id,
    exclusion_rule as rule
from {{ ref('int_attachments_resolved') }}
where disposition = 'excluded'
