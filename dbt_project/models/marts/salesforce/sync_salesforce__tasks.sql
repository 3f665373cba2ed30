{#- One completed Task per internal note when the internal_notes strategy is Task. -#}
with

notes as (

    select * from {{ ref('int_messages_bodies_fitted') }}
    where disposition = 'Task'

),

agents as (

    select agent_id, user_id from {{ ref('int_agents_users') }}

),

{#- The note's Case as synced: its Contact is the customer's survivor (merges and duplicates
    followed), or none when that Contact is not synced. -#}
cases as (

    select id as ticket_id, contact_customer_id from {{ ref('int_cases_synced') }}

)

select
    notes.message_id::string as Stames_Id__c,
    notes.ticket_id::string as ref__WhatId,
    cases.contact_customer_id::string as ref__WhoId,
    {{ cut_text("coalesce(nullif(split_part(trim(notes.body_text), chr(10), 1), ''), notes.author_name)", salesforce_limit('Task.Subject')) }} as Subject,
    notes.text_body as Description,
    {{ utc_date("notes.message_at") }} as ActivityDate,
    '{{ var("completed_task_status", "Completed") }}' as Status,
    coalesce(agents.user_id, {{ mapping_setting('fallback_owner_id') }}) as OwnerId,
    notes.message_at as CreatedDate,
    notes.thread_position as stames__thread_position,
    notes.author_name as stames__author_name,
    notes.text_file_id as stames__text_body_file_id
from notes
left join agents on agents.agent_id = notes.author_id
left join cases on cases.ticket_id = notes.ticket_id
