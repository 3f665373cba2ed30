{# Stames agents and the Salesforce User that may own their records: an active user the mapping
   matched by email. An inactive user cannot own a record (Salesforce refuses the insert), so such
   an agent, like one without a user, falls to the mapping's fallback owner. The agent gate
   (`stames-sf users`) asks a person to accept that before the load; it changes no owner here. #}
select
    agent_id,
    user_id,
    state
from {{ ref('stg_mapping__agents') }}
where user_id is not null
  and state = 'matched'
