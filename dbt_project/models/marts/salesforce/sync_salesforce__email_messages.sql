{#- One EmailMessage per public message of every channel, in thread order. -#}
with

bodies as (

    select * from {{ ref('int_messages_bodies_fitted') }}
    where disposition = 'EmailMessage'

),

tickets as (

    {#- the requester email as Case.SuppliedEmail holds it: trimmed, full-width forms folded #}
    select
        id as ticket_id,
        subject,
        nullif(trim({{ fold_fullwidth('requester__email') }}), '') as requester_email
    from {{ ref('stg_stames__tickets') }}

),

channels as (

    select channel_id, address as channel_address from {{ ref('stg_stames__channels') }}

),

{#- the channel type through the value map the mapping names for message.channel.type: a listed
    value takes its target, another the map's default if it has one, else it is kept. Joined, not
    a subquery per row: Spark cannot see the row's columns from inside a subquery's CTE. #}
channel_source_map as (

    select value_maps.source_value, value_maps.target_value, value_maps.is_default
    from {{ source('mapping', 'fields') }} as fields
    inner join {{ source('mapping', 'value_maps') }} as value_maps on value_maps.value_map = fields.value_map
    where fields.source = 'message.channel.type'

),

channel_sources as (

    select source_value, any_value(target_value) as target_value
    from channel_source_map
    where not is_default
    group by source_value

),

channel_default as (

    select any_value(target_value) as target_value, count(*) > 0 as has_default
    from channel_source_map
    where is_default

),

addressed as (

    select
        bodies.*,
        case
            when channel_sources.source_value is not null then channel_sources.target_value
            when channel_default.has_default then channel_default.target_value
            else bodies.channel_type
        end as channel_source,
        tickets.subject as ticket_subject,
        case when bodies.incoming then tickets.requester_email else channels.channel_address end as from_address,
        case when bodies.incoming then channels.channel_address else tickets.requester_email end as to_address
    from bodies
    left join tickets on tickets.ticket_id = bodies.ticket_id
    left join channels on channels.channel_id = bodies.channel_inbox_id
    left join channel_sources on channel_sources.source_value = bodies.channel_type
    cross join channel_default

)

select
    message_id::string as Stames_Id__c,
    ticket_id::string as ref__ParentId,
    {{ cut_text("coalesce(nullif(ticket_subject, ''), split_part(trim(body_text), chr(10), 1))", salesforce_limit('EmailMessage.Subject')) }} as Subject,
    text_body as TextBody,
    html_body as HtmlBody,
    message_at as MessageDate,
    incoming as Incoming,
    email_status as Status,
    {{ cut_text('author_name', salesforce_limit('EmailMessage.FromName')) }} as FromName,
    case when {{ is_email_address('from_address') }} then from_address end as FromAddress,
    {{ cut_text('to_address', salesforce_limit('EmailMessage.ToAddress')) }} as ToAddress,
    external_id as MessageIdentifier,
    channel_source as Stames_Channel_Source__c,
    message_at as CreatedDate,
    thread_position as stames__thread_position,
    html_file_id as stames__html_body_file_id,
    text_file_id as stames__text_body_file_id
from addressed
