{#- Email and note bodies as Salesforce will hold them. In HTML, `cid:` images point at the
    stored inline attachment and `data:` images at the file made from them (see file_reference);
    a body over its field's limit is cut at a clean boundary (cut_html / cut_text) and its full
    text becomes a file (`html_file_id` / `text_file_id`, a ContentVersion). -#}
with

messages as (

    select * from {{ ref('int_messages_routed') }}
    where disposition in ('EmailMessage', 'Task', 'CaseComment')

),

{#- What each body's HTML swaps for a file reference: `cid:` images for the stored inline
    attachment, `data:` images for the file made from them. -#}
swaps as (

    select message_id, 'cid:' || content_id as found, {{ file_reference('attachment_id::string') }} as file
    from {{ ref('int_attachments_resolved') }}
    where is_inline and content_id is not null and disposition = 'ContentVersion'

    union all

    select message_id, data_uri, {{ file_reference('content_version_id') }}
    from {{ ref('int_messages_inline_images') }}
    where is_decodable

),

swap_lists as (

    select message_id, {{ replacement_list('found', 'file') }} as swaps
    from swaps
    group by message_id

),

rewritten as (

    select
        messages.*,
        {{ replace_each('messages.body_html', 'swap_lists.swaps') }} as html_rewritten
    from messages
    left join swap_lists on swap_lists.message_id = messages.message_id

),

limits as (

    select
        *,
        case disposition
            when 'Task' then {{ salesforce_limit('Task.Description') }}
            when 'CaseComment' then {{ salesforce_limit('CaseComment.CommentBody') }}
            else {{ salesforce_limit('EmailMessage.TextBody') }}
        end as text_limit,
        {{ salesforce_limit('EmailMessage.HtmlBody') }}
            - {{ file_reference_growth() }} * {{ file_reference_count('html_rewritten') }} as html_limit
    from rewritten

),

fitted as (

    select
        *,
        {{ cut_html('html_rewritten', 'html_limit') }} as html_body,
        {{ cut_text('body_text', 'text_limit') }} as text_body,
        coalesce({{ utf16_length('html_rewritten') }} > html_limit, false) as html_cut,
        coalesce({{ utf16_length('body_text') }} > text_limit, false) as text_cut
    from limits

)

select
    *,
    case when html_cut then 'message-' || message_id || '-html' end as html_file_id,
    case when text_cut then 'message-' || message_id || '-text' end as text_file_id
from fitted
