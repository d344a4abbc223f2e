<?php
/**
 * Plugin Name: Galley
 * Description: Lets the Galley editorial workstation recognise the posts and photos it published, so a retry never publishes twice.
 * Version: 1.0.0
 * Requires at least: 5.6
 * License: GPL-2.0-or-later
 *
 * Why this exists
 * ---------------
 * Galley publishes through the REST API. When a request to create a post reaches
 * WordPress but the answer is lost on the way back (a dropped connection, a proxy
 * timeout), Galley cannot know whether the post was made. Before trying again it
 * asks WordPress for "the post of Galley document X". For that to work the post
 * must carry Galley's document id, and the REST API must be able to search by it:
 *
 * - post meta `galley_document_id` and `galley_revision_id`, readable and writable
 *   over REST by people who may edit posts;
 * - a `galley_document_id` query parameter on GET /wp/v2/posts;
 * - the same for photos: `galley_photo_sha256` on attachments, searchable with a
 *   `galley_photo_sha256` parameter on GET /wp/v2/media, so a retried upload adopts
 *   the photo that already arrived instead of adding a second copy.
 *
 * Without the plugin Galley still works, but it can only recognise its earlier
 * post by slug and author, and a retried photo upload may leave a duplicate in
 * the media library.
 *
 * Install: copy this file to wp-content/mu-plugins/galley.php (a must-use plugin
 * is always active), or to wp-content/plugins/galley/galley.php and activate it.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

function galley_can_edit_posts() {
	return current_user_can( 'edit_posts' );
}

function galley_register_meta() {
	$string_meta = array(
		'type'          => 'string',
		'single'        => true,
		'show_in_rest'  => true,
		'default'       => '',
		'auth_callback' => 'galley_can_edit_posts',
	);
	register_post_meta( 'post', 'galley_document_id', $string_meta + array( 'description' => 'The Galley document this post was published from.' ) );
	register_post_meta( 'post', 'galley_revision_id', $string_meta + array( 'description' => 'The Galley revision last published to this post.' ) );
	register_post_meta( 'attachment', 'galley_photo_sha256', $string_meta + array( 'description' => 'The SHA-256 of the image Galley uploaded as this media item.' ) );
}
add_action( 'init', 'galley_register_meta' );

/** Adds `$param` = value as an exact meta match to a REST collection query. */
function galley_filter_by_meta( $args, $request, $param ) {
	$value = $request->get_param( $param );
	if ( ! is_string( $value ) || '' === $value ) {
		return $args;
	}
	if ( ! isset( $args['meta_query'] ) || ! is_array( $args['meta_query'] ) ) {
		$args['meta_query'] = array();
	}
	$args['meta_query'][] = array(
		'key'     => $param,
		'value'   => $value,
		'compare' => '=',
	);
	return $args;
}

add_filter(
	'rest_post_query',
	function ( $args, $request ) {
		return galley_filter_by_meta( $args, $request, 'galley_document_id' );
	},
	10,
	2
);

add_filter(
	'rest_attachment_query',
	function ( $args, $request ) {
		return galley_filter_by_meta( $args, $request, 'galley_photo_sha256' );
	},
	10,
	2
);

/*
 * Listing the parameters in the collection's schema lets Galley check that the
 * filter is there (OPTIONS /wp/v2/posts) before it relies on it: without the
 * filter WordPress silently ignores an unknown parameter and lists every post.
 */
add_filter(
	'rest_post_collection_params',
	function ( $params ) {
		$params['galley_document_id'] = array(
			'description' => 'Limit results to the post published from this Galley document.',
			'type'        => 'string',
		);
		return $params;
	}
);

add_filter(
	'rest_attachment_collection_params',
	function ( $params ) {
		$params['galley_photo_sha256'] = array(
			'description' => 'Limit results to the media item uploaded for this Galley photo.',
			'type'        => 'string',
		);
		return $params;
	}
);

/*
 * One post per Galley document, enforced here too: a create that timed out on
 * Galley's side can still reach WordPress after Galley's retry found nothing and
 * created the post. That late duplicate is refused (409), so whatever the network
 * does, a document has exactly one post.
 */
add_filter(
	'rest_pre_insert_post',
	function ( $prepared, $request ) {
		if ( ! empty( $prepared->ID ) ) {
			return $prepared; // an update, not a create
		}
		$meta = $request->get_param( 'meta' );
		$document = is_array( $meta ) && isset( $meta['galley_document_id'] ) ? (string) $meta['galley_document_id'] : '';
		if ( '' === $document ) {
			return $prepared;
		}
		$existing = get_posts(
			array(
				'post_type'      => 'post',
				'post_status'    => array( 'publish', 'future', 'draft', 'pending', 'private' ),
				'meta_key'       => 'galley_document_id',
				'meta_value'     => $document,
				'fields'         => 'ids',
				'posts_per_page' => 1,
			)
		);
		if ( $existing ) {
			return new WP_Error(
				'galley_duplicate',
				sprintf( 'This Galley document already has post %d; update that post instead.', $existing[0] ),
				array( 'status' => 409, 'post_id' => $existing[0] )
			);
		}
		return $prepared;
	},
	10,
	2
);
