select
    'status_change' as object,
    status_change_id::string as stames_id,
    exclusion_rule as rule
from {{ ref('int_status_changes_sequenced') }}
where disposition = 'excluded'
