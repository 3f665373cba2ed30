{# Stames agents and the Salesforce User the confirmed mapping gives them (matched users only). #}
select
    agent_id,
    user_id,
    state
from {{ ref('stg_mapping__agents') }}
where user_id is not null
